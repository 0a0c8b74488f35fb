variable "name" {
  description = "Prefix of the secret names (secrets are named <name>/<key>)."
  type        = string
}

variable "secrets" {
  description = "Secrets to create, by key. The initial value is template with every RANDOM replaced by one generated password (letters and digits)."
  type = map(object({
    description = string
    template    = string
  }))
}

variable "password_length" {
  description = "Length of the generated password."
  type        = number
  default     = 64
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
