output "cloudwatch_dashboard_name" {
  description = "Name of the dashboard of a sale."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "cloudwatch_dashboard_arn" {
  description = "ARN of the dashboard of a sale."
  value       = aws_cloudwatch_dashboard.this.dashboard_arn
}
