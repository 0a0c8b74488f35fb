output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone, in zone order."
  value       = [for az in local.azs : aws_subnet.private[az].id]
}

output "availability_zones" {
  description = "Availability zones the private subnets are in."
  value       = local.azs
}

output "security_group_ids" {
  description = "Security group IDs by role: lambda, redis, msk, proxy, rds, endpoints, and internet with internet_egress."
  value       = { for role, group in aws_security_group.this : role => group.id }
}

output "vpc_endpoint_ids" {
  description = "Interface VPC endpoint IDs by service."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}
