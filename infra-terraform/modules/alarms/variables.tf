variable "name" {
  description = "Name prefix of the alarms and the SNS topic."
  type        = string
}

variable "function_names" {
  description = "Function names by logical name; each gets an Errors and a Throttles alarm."
  type        = map(string)
}

variable "consumer_function_name" {
  description = "Name of the order consumer (OffsetLag of its MSK event source mapping)."
  type        = string
}

variable "reconciliation_function_name" {
  description = "Name of the reconciliation function (alarm when it stops running)."
  type        = string
}

variable "payment_webhook_function_name" {
  description = "Name of the function that receives the payment provider's webhook (admin): alarm when it refuses deliveries."
  type        = string
}

variable "payment_webhook_refused_threshold" {
  description = "Refused payment webhook deliveries (401) per minute that raise the alarm."
  type        = number
  default     = 5
}

variable "redis_cache_cluster_ids" {
  description = "Cache cluster IDs of the Redis nodes."
  type        = list(string)
}

variable "db_instance_identifier" {
  description = "Identifier of the RDS instance."
  type        = string
}

variable "api_id" {
  description = "ID of the HTTP API (5xx and p99 latency alarms)."
  type        = string
}

variable "msk_cluster_name" {
  description = "Name of the MSK cluster (broker disk alarms)."
  type        = string
}

variable "msk_broker_count" {
  description = "Number of MSK brokers; each gets a disk alarm."
  type        = number
}

variable "dead_letter_queue_names" {
  description = "SQS dead-letter and on-failure queues by logical name; any message in them raises an alarm."
  type        = map(string)
  default     = {}
}

variable "function_error_threshold" {
  description = "Errors per minute of one function that raise its alarm."
  type        = number
  default     = 1
}

variable "function_throttle_threshold" {
  description = "Throttles per minute of one function that raise its alarm."
  type        = number
  default     = 1
}

variable "consumer_offset_lag_threshold" {
  description = "Records the order consumer may lag behind (sustained 5 minutes) before the alarm."
  type        = number
  default     = 10000
}

variable "outbox_age_threshold_seconds" {
  description = "Age in seconds of the oldest outbox entry (sustained 3 minutes) that raises the alarm."
  type        = number
  default     = 300
}

variable "api_5xx_threshold" {
  description = "5xx answers per minute of the HTTP API that raise the alarm."
  type        = number
  default     = 1
}

variable "api_p99_latency_threshold_ms" {
  description = "p99 latency of the HTTP API in milliseconds (sustained 3 minutes) that raises the alarm."
  type        = number
  default     = 1000
}

variable "redis_replication_lag_threshold_seconds" {
  description = "Seconds a Redis replica may lag its primary (sustained 3 minutes) before the alarm."
  type        = number
  default     = 1
}

variable "msk_disk_used_threshold" {
  description = "Percentage of an MSK broker's data disk used that raises the alarm."
  type        = number
  default     = 80
}

variable "db_cpu_threshold" {
  description = "Database CPUUtilization percentage (sustained 5 minutes) that raises the alarm."
  type        = number
  default     = 80
}

variable "db_free_storage_threshold_bytes" {
  description = "Database FreeStorageSpace in bytes below which the alarm is raised."
  type        = number
  default     = 10737418240
}

variable "redis_engine_cpu_threshold" {
  description = "Redis EngineCPUUtilization percentage that raises the alarm."
  type        = number
  default     = 70
}

variable "redis_memory_threshold" {
  description = "Redis DatabaseMemoryUsagePercentage that raises the alarm."
  type        = number
  default     = 75
}

variable "db_connections_threshold" {
  description = "DatabaseConnections that raise the alarm."
  type        = number
  default     = 300
}

variable "alarm_email_addresses" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
