variable "name" {
  description = "DB instance identifier, proxy name and name prefix."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the database and the proxy, in at least two availability zones."
  type        = list(string)
}

variable "db_security_group_ids" {
  description = "Security groups of the DB instance (allowing 5432 from the proxy only)."
  type        = list(string)
}

variable "proxy_security_group_ids" {
  description = "Security groups of RDS Proxy (allowing 5432 from the functions only)."
  type        = list(string)
}

variable "engine_version" {
  description = "PostgreSQL version (major, or major.minor)."
  type        = string
  default     = "16"
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "flashsale"
}

variable "username" {
  description = "Master user name; its password lives in the secret RDS manages."
  type        = string
  default     = "flashsale"
}

variable "iam_database_users" {
  description = "Database roles the functions log in as through the proxy with IAM tokens, end to end (created with rds_iam by the migrations: shared's V7__roles.sql)."
  type        = list(string)
  default     = ["flashsale_app", "flashsale_reader"]
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper limit of storage autoscaling in GiB; must be above allocated_storage (0 turns autoscaling off)."
  type        = number
  default     = 100
}

variable "multi_az" {
  description = "Keep a synchronous standby in another availability zone."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the DB instance."
  type        = bool
  default     = false
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot (dev only)."
  type        = bool
  default     = true
}

variable "backup_retention_period" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 7
}

variable "backup_window" {
  description = "Daily backup window (UTC)."
  type        = string
  default     = "02:00-02:30"
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC), away from sale times and the backup window."
  type        = string
  default     = "sun:03:00-sun:04:00"
}

variable "apply_immediately" {
  description = "Apply changes now instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "performance_insights_enabled" {
  description = "Turn on Performance Insights."
  type        = bool
  default     = false
}

variable "log_min_duration_statement_ms" {
  description = "Log statements slower than this many milliseconds (-1 turns it off)."
  type        = number
  default     = 500
}

variable "proxy_idle_client_timeout" {
  description = "Seconds an idle client connection to the proxy is kept."
  type        = number
  default     = 1800
}

variable "proxy_max_connections_percent" {
  description = "Share of the database's max_connections the proxy may use."
  type        = number
  default     = 90
}

variable "proxy_max_idle_connections_percent" {
  description = "Share of max_connections the proxy keeps open while idle."
  type        = number
  default     = 50
}

variable "proxy_connection_borrow_timeout" {
  description = "Seconds a client waits for a database connection from the pool."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
