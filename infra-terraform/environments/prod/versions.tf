terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }

  # Partial configuration: terraform init -backend-config=backend.hcl (see README).
  backend "s3" {}
}
