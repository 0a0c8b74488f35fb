output "scheduler_schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "scheduler_schedule_name" {
  description = "Name of the schedule."
  value       = aws_scheduler_schedule.this.name
}

output "iam_role_arn" {
  description = "ARN of the role the scheduler assumes."
  value       = module.role.iam_role_arn
}

output "sqs_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}

output "sqs_queue_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.name
}
