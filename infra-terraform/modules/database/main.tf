data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  dbuser_arn_prefix          = "arn:${data.aws_partition.current.partition}:rds-db:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:dbuser"
  instance_dbuser_arn_prefix = "${local.dbuser_arn_prefix}:${aws_db_instance.this.resource_id}"
  proxy_dbuser_arn_prefix    = "${local.dbuser_arn_prefix}:${element(split(":", aws_db_proxy.this.arn), 6)}"
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-postgres16"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  tags = var.tags
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.db_name
  username = var.username
  # RDS generates the password and keeps it in a Secrets Manager secret of its own;
  # RDS Proxy authenticates with that secret, so no password is in the state.
  manage_master_user_password = true

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.db_security_group_ids
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false

  multi_az                  = var.multi_az
  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-final"

  auto_minor_version_upgrade      = true
  apply_immediately               = var.apply_immediately
  enabled_cloudwatch_logs_exports = ["postgresql"]
  performance_insights_enabled    = var.performance_insights_enabled
  # RDS Proxy logs in as the functions' roles with IAM tokens (end-to-end IAM)
  iam_database_authentication_enabled = true

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage == 0 || var.max_allocated_storage > var.allocated_storage
      error_message = "max_allocated_storage must be above allocated_storage (RDS refuses it otherwise), or 0 to turn storage autoscaling off."
    }
  }
}

# The secret is encrypted with the AWS managed key aws/secretsmanager, whose key
# policy already lets the account's principals decrypt through Secrets Manager.
data "aws_iam_policy_document" "proxy" {
  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.this.master_user_secret[0].secret_arn]
  }

  # End-to-end IAM: the proxy logs in to the instance as the functions' roles
  # with IAM tokens of its own; those roles have no password at all.
  statement {
    sid       = "ConnectAsFunctionRoles"
    actions   = ["rds-db:connect"]
    resources = [for user in var.iam_database_users : "${local.instance_dbuser_arn_prefix}/${user}"]
  }
}

module "proxy_role" {
  source = "../service-role"

  name        = "${var.name}-rds-proxy"
  service     = "rds.amazonaws.com"
  policy_json = data.aws_iam_policy_document.proxy.json
  policy_name = "read-database-secret"
  tags        = var.tags
}

resource "aws_db_proxy" "this" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = module.proxy_role.iam_role_arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = var.proxy_security_group_ids
  require_tls            = true
  idle_client_timeout    = var.proxy_idle_client_timeout
  # Clients log in with IAM tokens (rds-db:connect), and the proxy logs in to
  # the instance with IAM tokens too, as the same role: the functions' roles
  # (var.iam_database_users, created by the migration) need no secret.
  default_auth_scheme = "IAM_AUTH"

  auth {
    auth_scheme = "SECRETS"
    secret_arn  = aws_db_instance.this.master_user_secret[0].secret_arn
    # The master user, owner of the schema, for the migrate function alone: it
    # too logs in with an IAM token, never with the password; the proxy alone
    # reads the secret, so RDS rotating it reaches no function.
    iam_auth    = "REQUIRED"
    description = "master user: the schema owner, for the migrate function"
  }

  tags = var.tags
}

resource "aws_db_proxy_default_target_group" "this" {
  db_proxy_name = aws_db_proxy.this.name

  connection_pool_config {
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = var.proxy_max_idle_connections_percent
    connection_borrow_timeout    = var.proxy_connection_borrow_timeout
  }
}

resource "aws_db_proxy_target" "this" {
  db_proxy_name          = aws_db_proxy.this.name
  target_group_name      = aws_db_proxy_default_target_group.this.name
  db_instance_identifier = aws_db_instance.this.identifier
}
