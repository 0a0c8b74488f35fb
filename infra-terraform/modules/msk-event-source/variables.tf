variable "name" {
  description = "Name prefix (the on-failure queue is <name>-on-failure)."
  type        = string
}

variable "function_alias_arn" {
  description = "ARN of the alias the mapping invokes."
  type        = string
}

variable "function_role_name" {
  description = "Execution role of the consumer function; the consumer permissions are added to it."
  type        = string
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster."
  type        = string
}

variable "topic_name" {
  description = "Topic the mapping reads."
  type        = string
}

variable "topic_arn" {
  description = "IAM resource ARN of that topic."
  type        = string
}

variable "consumer_group_id" {
  description = "Kafka consumer group of the mapping; changing it restarts from the oldest retained record."
  type        = string
}

variable "consumer_group_arn" {
  description = "IAM resource ARN of that consumer group."
  type        = string
}

variable "batch_size" {
  description = "Most records per invocation."
  type        = number
  default     = 500
}

variable "maximum_batching_window_in_seconds" {
  description = "How long the mapping gathers records before invoking with a partial batch."
  type        = number
  default     = 1
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch before it goes to the on-failure queue (-1: until the record expires from the topic; with a destination set Lambda caps that at 10). Every retry is harmless: the consumer is idempotent."
  type        = number
  default     = 10000
}

variable "minimum_pollers" {
  description = "Provisioned event pollers kept at all times."
  type        = number
  default     = 1
}

variable "maximum_pollers" {
  description = "Most provisioned event pollers (each reads at least one partition)."
  type        = number
  default     = 12
}

variable "enabled" {
  description = "Whether the mapping polls (turn off to pause consumption)."
  type        = bool
  default     = true
}

variable "dlq_message_retention_seconds" {
  description = "How long failed-batch records stay in the on-failure queue (at most 14 days)."
  type        = number
  default     = 1209600
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
