variable "name" {
  description = "Name of the API and name prefix."
  type        = string
}

variable "jwt_issuer" {
  description = "Issuer URL of the JWTs the authorizer accepts (its /.well-known/openid-configuration must be reachable)."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences (aud claim) of the JWTs."
  type        = list(string)
}

variable "functions" {
  description = "Functions behind the API, by logical name: function name, alias name and alias invoke ARN."
  type = map(object({
    function_name    = string
    alias_name       = string
    alias_invoke_arn = string
  }))
}

variable "routes" {
  description = "Routes by route key (\"POST /api/flash-sale/buy\"): the function (a key of functions), the authorization type (JWT or NONE) and the scopes the JWT must carry."
  type = map(object({
    function             = string
    authorization_type   = optional(string, "JWT")
    authorization_scopes = optional(list(string), [])
  }))
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the stage lets through (all routes together)."
  type        = number
  default     = 1000
}

variable "throttling_burst_limit" {
  description = "Burst size of the stage's token bucket."
  type        = number
  default     = 2000
}

variable "integration_timeout_milliseconds" {
  description = "How long API Gateway waits for a function."
  type        = number
  default     = 10000
}

variable "log_retention_in_days" {
  description = "Retention of the access logs."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
