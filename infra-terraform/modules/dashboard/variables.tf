variable "name" {
  description = "Name of the dashboard (the system's name prefix)."
  type        = string
}

variable "api_id" {
  description = "ID of the HTTP API (requests, 5xx, p99 latency)."
  type        = string
}

variable "function_names" {
  description = "Function names by logical name (errors, throttles and concurrency of each)."
  type        = map(string)
}

variable "buy_function_name" {
  description = "Name of the buy function (EMF ACCEPTED and PUBLISH_DEFERRED, dimension function)."
  type        = string
}

variable "consumer_function_name" {
  description = "Name of the order consumer (EMF OrdersPersisted, OrderRequestsFailed, DeadLetters; OffsetLag)."
  type        = string
}

variable "reconciliation_function_name" {
  description = "Name of the reconciliation function (EMF OutboxAgeSeconds, RedrivenEvents, CancelledOrders, ReconciliationDiscrepancies, ReconciliationStepErrors)."
  type        = string
}

variable "redis_cache_cluster_ids" {
  description = "Cache cluster IDs of the Redis nodes (engine CPU, evictions, memory)."
  type        = list(string)
}

variable "db_instance_identifier" {
  description = "Identifier of the RDS instance (CPU, connections, free storage)."
  type        = string
}

variable "msk_cluster_name" {
  description = "Name of the MSK cluster (broker disk, CPU)."
  type        = string
}

variable "msk_broker_count" {
  description = "Number of MSK brokers."
  type        = number
}

variable "dead_letter_queue_names" {
  description = "SQS dead-letter and on-failure queues by logical name."
  type        = map(string)
  default     = {}
}
