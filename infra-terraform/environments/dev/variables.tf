variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-central-1"
}

variable "jwt_issuer" {
  description = "Issuer URL of the identity provider whose JWTs the API accepts (for Cognito: https://cognito-idp.<region>.amazonaws.com/<user pool id>)."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences of the JWTs (for Cognito: the app client IDs)."
  type        = list(string)
}

variable "alarm_email_addresses" {
  description = "E-mail addresses notified by the alarms."
  type        = list(string)
  default     = []
}

variable "captcha_verify_url" {
  description = "The hosted captcha's siteverify URL (for example https://challenges.cloudflare.com/turnstile/v0/siteverify); null: no hosted captcha (ALTCHA still works). Its site secret goes into the secret <name>/captcha."
  type        = string
  default     = null
}

variable "payment_currency" {
  description = "Currency (ISO 4217) of every price; payment webhooks in another currency are refused."
  type        = string
  default     = "EUR"
}
