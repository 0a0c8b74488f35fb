variable "name" {
  description = "Cluster name and name prefix."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the brokers, one per availability zone."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the brokers (allowing 9098 from the functions and from themselves)."
  type        = list(string)
}

variable "kafka_version" {
  description = "Apache Kafka version of the cluster."
  type        = string
  default     = "3.6.0"
}

variable "number_of_broker_nodes" {
  description = "Number of brokers, a multiple of the number of subnets (3 in prod: one per zone)."
  type        = number
  default     = 2
}

variable "broker_instance_type" {
  description = "Broker instance type."
  type        = string
  default     = "kafka.t3.small"
}

variable "broker_volume_size" {
  description = "EBS volume size of each broker, in GiB."
  type        = number
  default     = 50
}

variable "orders_topic_name" {
  description = "Name of the orders topic (created once, see README)."
  type        = string
  default     = "flashsale.orders"
}

variable "orders_topic_partitions" {
  description = "Partitions of the orders topic, also the cluster's num.partitions default. Bounds the consumer's concurrency (one poller per partition at most)."
  type        = number
  default     = 12
}

variable "orders_topic_retention_hours" {
  description = "Retention of the orders topic in hours (log.retention.hours). Longer than any consumer outage you want to survive without losing orders."
  type        = number
  default     = 168
}

variable "replication_factor" {
  description = "Replication factor of the orders topic and the cluster default (at most the number of brokers)."
  type        = number
  default     = 2
}

variable "min_insync_replicas" {
  description = "min.insync.replicas: with acks=all, how many replicas must have a record before it is acknowledged."
  type        = number
  default     = 1
}

variable "log_retention_in_days" {
  description = "Retention of the broker logs in CloudWatch Logs."
  type        = number
  default     = 14
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
