variable "name" {
  description = "Function name; also the name of its role and log group."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "handler" {
  description = "Handler class (and method) Lambda calls."
  type        = string
}

variable "artifact_path" {
  description = "Path of the deployment jar built by Maven (reproducible: an unchanged function's jar is byte-identical)."
  type        = string
}

variable "artifact_bucket" {
  description = "Versioned S3 bucket the jar is uploaded to and Lambda reads it from (no 50 MB direct-upload limit)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "Instruction set architecture (x86_64 or arm64)."
  type        = string
  default     = "x86_64"
}

variable "memory_size" {
  description = "Memory in MB (CPU grows with it)."
  type        = number
  default     = 1024
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 15
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency (-1: none reserved, draws on the account's pool)."
  type        = number
  default     = -1
}

variable "environment_variables" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "subnet_ids" {
  description = "Private subnets the function runs in."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the function."
  type        = list(string)
}

variable "secret_arns" {
  description = "Secrets Manager secrets the function may read, and no others."
  type        = list(string)
  default     = []
}

variable "db_connect_arns" {
  description = "rds-db:connect resources (arn:aws:rds-db:<region>:<account>:dbuser:<proxy id>/<user>) the function may log in as with an IAM token."
  type        = list(string)
  default     = []
}

variable "msk_cluster_arn" {
  description = "MSK cluster the function produces to (with msk_write_topic_arns)."
  type        = string
  default     = null
}

variable "msk_write_topic_arns" {
  description = "MSK topic ARNs the function may produce to (IAM auth, idempotent producer)."
  type        = list(string)
  default     = []
}

variable "metric_namespace" {
  description = "The only CloudWatch namespace the function may publish metrics to."
  type        = string
  default     = "FlashSale"
}

variable "alias_name" {
  description = "Name of the alias that points at the latest published version."
  type        = string
  default     = "live"
}

variable "log_retention_in_days" {
  description = "Retention of the function's logs."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
