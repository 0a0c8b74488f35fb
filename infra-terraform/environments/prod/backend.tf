# State in S3 with a lock file; the bucket and key come from backend.hcl:
# terraform init -backend-config=backend.hcl (see backend.hcl.example).
terraform {
  backend "s3" {}
}
