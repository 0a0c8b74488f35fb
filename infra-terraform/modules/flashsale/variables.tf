variable "name" {
  description = "Name of the environment's system, prefix of every resource (flashsale-dev)."
  type        = string
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}

variable "functions" {
  description = "The Lambda functions to deploy, by Maven module name under functions/ (migrate, token, buy, result, admin, order-consumer, reconciliation), with their sizing."
  type = map(object({
    memory_size                    = optional(number, 1024)
    timeout                        = optional(number, 15)
    reserved_concurrent_executions = optional(number, -1)
  }))
}

variable "artifacts_dir" {
  description = "Directory holding the Maven modules of the functions (<dir>/<name>/target/<name>-lambda.jar); null means the repository's functions/."
  type        = string
  default     = null
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones to spread over (at least 2; 3 for a 3-broker MSK cluster)."
  type        = number
  default     = 2
}

variable "redis" {
  description = "ElastiCache Redis sizing and availability."
  type = object({
    node_type               = optional(string, "cache.t4g.small")
    num_node_groups         = optional(number, 1)
    replicas_per_node_group = optional(number, 0)
    multi_az_enabled        = optional(bool, false)
  })
  default = {}
}

variable "kafka" {
  description = "MSK sizing and the orders topic's settings."
  type = object({
    broker_instance_type         = optional(string, "kafka.t3.small")
    number_of_broker_nodes       = optional(number, 2)
    broker_volume_size           = optional(number, 50)
    replication_factor           = optional(number, 2)
    min_insync_replicas          = optional(number, 1)
    orders_topic_name            = optional(string, "flashsale.orders")
    orders_topic_partitions      = optional(number, 12)
    orders_topic_retention_hours = optional(number, 168)
  })
  default = {}
}

variable "database" {
  description = "RDS PostgreSQL sizing, availability and protection."
  type = object({
    instance_class          = optional(string, "db.t4g.medium")
    allocated_storage       = optional(number, 20)
    max_allocated_storage   = optional(number, 100)
    multi_az                = optional(bool, false)
    deletion_protection     = optional(bool, false)
    skip_final_snapshot     = optional(bool, true)
    backup_retention_period = optional(number, 7)
  })
  default = {}
}

variable "consumer" {
  description = "The order consumer's MSK event source mapping."
  type = object({
    group_id                           = optional(string, "flashsale-order-consumer")
    batch_size                         = optional(number, 500)
    maximum_batching_window_in_seconds = optional(number, 1)
    offset_lag_alarm_threshold         = optional(number, 10000)
  })
  default = {}
}

variable "jwt_issuer" {
  description = "Issuer of the JWTs the API accepts."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences of the JWTs."
  type        = list(string)
}

variable "api_throttling_rate_limit" {
  description = "Requests per second the API stage lets through."
  type        = number
  default     = 1000
}

variable "api_throttling_burst_limit" {
  description = "Burst size of the API stage's throttling."
  type        = number
  default     = 2000
}

variable "payment_window" {
  description = "How long an order waits for payment before reconciliation cancels it (ISO-8601 duration)."
  type        = string
  default     = "PT15M"
}

variable "captcha_verify_url" {
  description = "The hosted captcha's siteverify URL (for example https://challenges.cloudflare.com/turnstile/v0/siteverify), passed to the token function as CAPTCHA_VERIFY_URL; null: no hosted captcha (products asking for it answer 503), and the functions keep no internet route."
  type        = string
  default     = null
}

variable "payment_currency" {
  description = "Currency (ISO 4217) of every price, which payment webhooks must match (admin's FLASHSALE_PAYMENT_WEBHOOK_CURRENCY)."
  type        = string
  default     = "EUR"
}

variable "alarm_email_addresses" {
  description = "E-mail addresses notified by the alarms."
  type        = list(string)
  default     = []
}

variable "log_retention_in_days" {
  description = "Retention of function and API access logs."
  type        = number
  default     = 30
}
