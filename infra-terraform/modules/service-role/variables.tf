variable "name" {
  description = "Name of the role."
  type        = string
}

variable "service" {
  description = "Service principal that may assume the role (lambda.amazonaws.com)."
  type        = string
}

variable "source_account" {
  description = "Only let the service assume the role on behalf of this account (confused-deputy guard); null for none."
  type        = string
  default     = null
}

variable "policy_json" {
  description = "The role's inline policy (JSON), all it may do."
  type        = string
}

variable "policy_name" {
  description = "Name of the inline policy."
  type        = string
  default     = "permissions"
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
