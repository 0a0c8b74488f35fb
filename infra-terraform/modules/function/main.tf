data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  # ENI management for VPC access; these EC2 actions support no resource scoping.
  statement {
    sid = "VpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "PutOwnMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metric_namespace]
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadOwnSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }

  # IAM authentication to RDS Proxy: the token is the password, so no database
  # password reaches the function.
  dynamic "statement" {
    for_each = length(var.db_connect_arns) > 0 ? [1] : []

    content {
      sid       = "ConnectToDatabase"
      actions   = ["rds-db:connect"]
      resources = var.db_connect_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.msk_write_topic_arns) > 0 ? [1] : []

    content {
      sid       = "ConnectToKafka"
      actions   = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"]
      resources = [var.msk_cluster_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.msk_write_topic_arns) > 0 ? [1] : []

    content {
      sid       = "ProduceToTopics"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
      resources = var.msk_write_topic_arns
    }
  }
}

module "role" {
  source = "../service-role"

  name        = var.name
  service     = "lambda.amazonaws.com"
  policy_json = data.aws_iam_policy_document.this.json
  policy_name = "function"
  tags        = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_in_days

  tags = var.tags
}

# The jar goes through S3: a direct upload is limited to 50 MB, which the
# largest jars approach. The builds are reproducible, so an unchanged function's
# jar has the same hash: neither uploaded again nor republished.
resource "aws_s3_object" "artifact" {
  bucket      = var.artifact_bucket
  key         = "functions/${var.name}.jar"
  source      = var.artifact_path
  source_hash = filemd5(var.artifact_path)

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = var.description
  role          = module.role.iam_role_arn

  runtime           = var.runtime
  handler           = var.handler
  architectures     = [var.architecture]
  s3_bucket         = aws_s3_object.artifact.bucket
  s3_key            = aws_s3_object.artifact.key
  s3_object_version = aws_s3_object.artifact.version_id
  source_code_hash  = filebase64sha256(var.artifact_path)

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  # SnapStart snapshots published versions only, so every deploy publishes one
  # and callers go through the alias below.
  publish = true

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = var.environment_variables
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags
}

resource "aws_lambda_alias" "live" {
  name             = var.alias_name
  description      = "The published version that API Gateway, the event source mapping and the scheduler invoke."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
