variable "name" {
  description = "Schedule name and name prefix."
  type        = string
}

variable "description" {
  description = "What the schedule runs."
  type        = string
  default     = ""
}

variable "target_arn" {
  description = "ARN of the Lambda alias the schedule invokes."
  type        = string
}

variable "schedule_expression" {
  description = "When to run: rate(), cron() or at() expression."
  type        = string
  default     = "rate(1 minute)"
}

variable "enabled" {
  description = "Whether the schedule runs."
  type        = bool
  default     = true
}

variable "maximum_retry_attempts" {
  description = "Retries of a failed invocation (0 to 185)."
  type        = number
  default     = 2
}

variable "maximum_event_age_in_seconds" {
  description = "Give up retrying after this many seconds (60 to 86400); the next run comes a minute later anyway."
  type        = number
  default     = 120
}

variable "dlq_message_retention_seconds" {
  description = "How long undelivered invocations stay in the dead-letter queue."
  type        = number
  default     = 1209600
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
