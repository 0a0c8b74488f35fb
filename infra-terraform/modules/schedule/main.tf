data "aws_caller_identity" "current" {}

resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.name}-dead-letter"
  message_retention_seconds = var.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true

  tags = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeTarget"
    actions   = ["lambda:InvokeFunction"]
    resources = [var.target_arn]
  }

  statement {
    sid       = "SendUndelivered"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letter.arn]
  }
}

module "role" {
  source = "../service-role"

  name           = "${var.name}-scheduler"
  service        = "scheduler.amazonaws.com"
  source_account = data.aws_caller_identity.current.account_id
  policy_json    = data.aws_iam_policy_document.scheduler.json
  policy_name    = "invoke-target"
  tags           = var.tags
}

resource "aws_scheduler_schedule" "this" {
  name                         = var.name
  description                  = var.description
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = "UTC"
  state                        = var.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.target_arn
    role_arn = module.role.iam_role_arn
    # The shape of a CloudWatch ScheduledEvent, which the handler decodes;
    # <aws.scheduler.*> are filled in by the scheduler at every run.
    input = jsonencode({
      version       = "0"
      id            = "<aws.scheduler.execution-id>"
      "detail-type" = "Scheduled Event"
      source        = "aws.scheduler"
      account       = data.aws_caller_identity.current.account_id
      time          = "<aws.scheduler.scheduled-time>"
      resources     = ["<aws.scheduler.schedule-arn>"]
      detail        = {}
    })

    retry_policy {
      maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
      maximum_retry_attempts       = var.maximum_retry_attempts
    }

    dead_letter_config {
      arn = aws_sqs_queue.dead_letter.arn
    }
  }
}
