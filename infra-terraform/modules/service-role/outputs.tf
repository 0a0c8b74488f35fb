output "iam_role_arn" {
  description = "ARN of the role, available once its policy is attached."
  value       = aws_iam_role.this.arn
  depends_on  = [aws_iam_role_policy.this]
}

output "iam_role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}
