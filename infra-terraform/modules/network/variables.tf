variable "name" {
  description = "Name prefix of every resource of this module."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones, one private subnet in each (at least 2: ElastiCache, MSK and RDS Multi-AZ need them)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2
    error_message = "az_count must be at least 2."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each private subnet (4 on a /16 gives /20 subnets)."
  type        = number
  default     = 4
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints, since the private subnets have no internet route: secrets, metrics, and what the MSK event source mapping needs (lambda, sts, sqs for its on-failure destination)."
  type        = list(string)
  default     = ["secretsmanager", "monitoring", "lambda", "sts", "sqs"]
}

variable "internet_egress" {
  description = "Whether the functions that carry the security group \"internet\" may call HTTPS endpoints on the internet (a NAT gateway in the first zone, a public subnet, an internet gateway); false: no internet route at all."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
