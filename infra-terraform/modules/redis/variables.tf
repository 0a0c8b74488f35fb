variable "name" {
  description = "Replication group ID and name prefix (at most 40 lowercase characters)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the cache nodes, in at least two availability zones."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the cache nodes (allowing 6379 from the functions only)."
  type        = list(string)
}

variable "auth_token" {
  description = "Redis AUTH token (16 to 128 characters, no punctuation needed); the value stored in Secrets Manager."
  type        = string
  sensitive   = true
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "num_node_groups" {
  description = "Number of shards (cluster mode)."
  type        = number
  default     = 1
}

variable "replicas_per_node_group" {
  description = "Replicas per shard (at least 1 for Multi-AZ)."
  type        = number
  default     = 0
}

variable "multi_az_enabled" {
  description = "Place replicas in other availability zones than their primary and fail over automatically."
  type        = bool
  default     = false
}

variable "snapshot_retention_limit" {
  description = "Days of automatic snapshots (0 turns them off)."
  type        = number
  default     = 1
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC), away from sale times."
  type        = string
  default     = "sun:03:00-sun:04:00"
}

variable "apply_immediately" {
  description = "Apply changes now instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
