locals {
  # The one list of the functions (also read by the local runtime and the tests): what each is,
  # its handler, the dependencies it uses (its environment variables and secrets follow from
  # `uses`, so each gets only what it needs) and its routes.
  catalog = jsondecode(file("${path.module}/../../../functions/functions.json")).functions

  secret_arns = module.secrets.secretsmanager_secret_arns

  environment_by_dependency = {
    redis = {
      # REDIS_URIS (redis.uris) makes micronaut-redis-lettuce connect in cluster mode, TLS
      REDIS_URIS            = "rediss://${module.redis.redis_configuration_endpoint_address}:${module.redis.redis_port}"
      REDIS_AUTH_SECRET_ARN = local.secret_arns["redis-auth"]
    }
    token_keys = {
      TOKEN_KEYS_SECRET_ARN = local.secret_arns["token-keys"]
    }
    kafka = {
      KAFKA_BOOTSTRAP_SERVERS = module.kafka.msk_bootstrap_brokers_sasl_iam
      KAFKA_IAM_AUTH          = "true"
      ORDERS_TOPIC            = module.kafka.msk_orders_topic_name
    }
    database = {
      # verify-full: the proxy's certificate (ACM, Amazon Root CA, in the JVM's trust
      # store) and its host name are checked; the password is an IAM token per connection.
      DATABASE_URL                = "jdbc:postgresql://${module.database.db_proxy_endpoint}:5432/${module.database.db_instance_name}?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"
      FLASHSALE_DATABASE_IAM_AUTH = "true"
    }
    payment = {
      PAYMENT_WINDOW = var.payment_window
    }
    # token: the key that signs the ALTCHA challenges (a plain string of 64 letters and digits)
    altcha_key = {
      ALTCHA_KEY_SECRET_ARN = local.secret_arns["altcha-key"]
    }
    # token: the hosted captcha (siteverify URL and the site's secret); without the URL,
    # products asking for the hosted captcha answer 503 and ALTCHA ones work
    captcha = merge(
      { CAPTCHA_SECRET_ARN = local.secret_arns["captcha"] },
      { for key, value in { CAPTCHA_VERIFY_URL = var.captcha_verify_url } : key => value if value != null },
    )
    # admin: the payment provider's signing secrets {"current","previous"}, and the currency
    # every price is in (a webhook in another currency is refused)
    webhook_secret = {
      PAYMENT_WEBHOOK_SECRET_ARN         = local.secret_arns["payment-webhook"]
      FLASHSALE_PAYMENT_WEBHOOK_CURRENCY = var.payment_currency
    }
  }

  secrets_by_dependency = {
    redis      = [local.secret_arns["redis-auth"]]
    token_keys = [local.secret_arns["token-keys"]]
    kafka      = []
    database   = []
    payment    = []
    # GetSecretValue on each secret whose ARN the dependency's settings pass
    altcha_key     = [local.secret_arns["altcha-key"]]
    captcha        = [local.secret_arns["captcha"]]
    webhook_secret = [local.secret_arns["payment-webhook"]]
  }

  # The database role each function logs in as (DATABASE_USER, and its rds-db:connect):
  # migrate as the master user, owner of the schema; result, public-facing, only
  # reads; the others read and write rows, no DDL (shared's V7__roles.sql).
  database_user_of = merge(
    { for name, function in local.catalog : name => "flashsale_app" },
    { migrate = module.database.db_instance_username, result = "flashsale_reader" },
  )

  admin_scopes = ["flashsale/admin"]

  # Every route needs a valid JWT except the public ones; admin routes need the admin scope.
  routes = merge([
    for name, function in local.catalog : {
      for route in function.routes : "${route.method} ${route.path}" => {
        function             = name
        authorization_type   = route.auth == "public" ? "NONE" : "JWT"
        authorization_scopes = route.auth == "admin" ? local.admin_scopes : []
      }
    }
  ]...)

  http_functions = toset([for route in local.routes : route.function])
  artifacts_dir  = coalesce(var.artifacts_dir, "${path.module}/../../../functions")
}

module "network" {
  source = "../network"

  name       = var.name
  cidr_block = var.vpc_cidr_block
  az_count   = var.az_count
  # the hosted captcha's siteverify is on the internet; nothing else is
  internet_egress = var.captcha_verify_url != null
  tags            = var.tags
}

module "secrets" {
  source = "../secrets"

  name = var.name
  secrets = {
    redis-auth = {
      description = "Redis AUTH token (the secret string is the token)."
      template    = "RANDOM"
    }
    token-keys = {
      description = "Purchase-token HMAC keys, <id>:<secret>; previous stays valid while tokens signed with it can live."
      template    = jsonencode({ current = "k1:RANDOM", previous = "k1:RANDOM" })
    }
    altcha-key = {
      description = "ALTCHA challenge HMAC key (the secret string is the key, at least 32 characters)."
      template    = "RANDOM"
    }
    # The next two hold values a third party issues: the operator puts them after the first
    # apply. Until then they hold a random value nobody knows, so that nothing verifies
    # (hosted captcha: every answer refused; webhook: every delivery 401), never a known one.
    captcha = {
      description = "Hosted captcha: the site's secret at the provider (siteverify). Set by the operator."
      template    = "RANDOM"
    }
    payment-webhook = {
      description = "Payment provider's webhook signing secrets; previous stays valid during a rotation. Set by the operator."
      template    = jsonencode({ current = "RANDOM", previous = "RANDOM" })
    }
  }
  tags = var.tags
}

module "redis" {
  source = "../redis"

  name                    = var.name
  subnet_ids              = module.network.private_subnet_ids
  security_group_ids      = [module.network.security_group_ids["redis"]]
  auth_token              = module.secrets.secretsmanager_secret_strings["redis-auth"]
  node_type               = var.redis.node_type
  num_node_groups         = var.redis.num_node_groups
  replicas_per_node_group = var.redis.replicas_per_node_group
  multi_az_enabled        = var.redis.multi_az_enabled
  tags                    = var.tags
}

module "kafka" {
  source = "../kafka"

  name                         = var.name
  subnet_ids                   = module.network.private_subnet_ids
  security_group_ids           = [module.network.security_group_ids["msk"]]
  broker_instance_type         = var.kafka.broker_instance_type
  number_of_broker_nodes       = var.kafka.number_of_broker_nodes
  broker_volume_size           = var.kafka.broker_volume_size
  replication_factor           = var.kafka.replication_factor
  min_insync_replicas          = var.kafka.min_insync_replicas
  orders_topic_name            = var.kafka.orders_topic_name
  orders_topic_partitions      = var.kafka.orders_topic_partitions
  orders_topic_retention_hours = var.kafka.orders_topic_retention_hours
  tags                         = var.tags
}

module "database" {
  source = "../database"

  name                     = var.name
  subnet_ids               = module.network.private_subnet_ids
  db_security_group_ids    = [module.network.security_group_ids["rds"]]
  proxy_security_group_ids = [module.network.security_group_ids["proxy"]]
  instance_class           = var.database.instance_class
  allocated_storage        = var.database.allocated_storage
  max_allocated_storage    = var.database.max_allocated_storage
  multi_az                 = var.database.multi_az
  deletion_protection      = var.database.deletion_protection
  skip_final_snapshot      = var.database.skip_final_snapshot
  backup_retention_period  = var.database.backup_retention_period
  tags                     = var.tags
}

# The function jars, uploaded by the function module (one object per function,
# versioned so each published Lambda version names the exact jar it runs). The
# jars are rebuilt from the sources at any time: the bucket may be destroyed
# with its objects; old versions expire after 30 days.
resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "${var.name}-artifacts-"
  force_destroy = true

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-old-jars"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

module "function" {
  source   = "../function"
  for_each = var.functions

  name          = "${var.name}-${each.key}"
  description   = local.catalog[each.key].description
  handler       = local.catalog[each.key].handler
  artifact_path = "${local.artifacts_dir}/${each.key}/target/${each.key}-lambda.jar"
  memory_size   = each.value.memory_size
  timeout       = each.value.timeout
  # Reconciliation: one run at a time. Its lease in Postgres already keeps two runs
  # from acting at once; one instance also keeps overlapping schedules from
  # piling up Lambda instances and DB connections while they wait for it.
  reserved_concurrent_executions = each.key == "reconciliation" ? 1 : each.value.reserved_concurrent_executions

  # through the versioning resource: objects get version ids from the first upload on
  artifact_bucket = aws_s3_bucket_versioning.artifacts.bucket

  environment_variables = merge(
    { MICRONAUT_ENVIRONMENTS = "lambda,aws", FLASHSALE_METRICS_EMF = "true" },
    { for dependency in local.catalog[each.key].uses : "DATABASE_USER" => local.database_user_of[each.key] if dependency == "database" },
    [for dependency in local.catalog[each.key].uses : local.environment_by_dependency[dependency]]...
  )
  secret_arns          = flatten([for dependency in local.catalog[each.key].uses : local.secrets_by_dependency[dependency]])
  db_connect_arns      = contains(local.catalog[each.key].uses, "database") ? [module.database.db_proxy_connect_arns[local.database_user_of[each.key]]] : []
  msk_cluster_arn      = contains(local.catalog[each.key].uses, "kafka") ? module.kafka.msk_cluster_arn : null
  # buy's invoke priming also publishes, to a topic of its own (BuyPriming)
  msk_write_topic_arns = contains(local.catalog[each.key].uses, "kafka") ? concat(
    [module.kafka.msk_orders_topic_arn], each.key == "buy" ? [module.kafka.msk_priming_topic_arn] : []
  ) : []

  subnet_ids = module.network.private_subnet_ids
  security_group_ids = concat(
    [module.network.security_group_ids["lambda"]],
    contains(local.catalog[each.key].uses, "captcha") && var.captcha_verify_url != null ? [module.network.security_group_ids["internet"]] : [],
  )
  log_retention_in_days = var.log_retention_in_days
  tags                  = var.tags
}

module "http_api" {
  source = "../http-api"

  name         = var.name
  jwt_issuer   = var.jwt_issuer
  jwt_audience = var.jwt_audience
  functions = {
    for function in local.http_functions : function => {
      function_name    = module.function[function].lambda_function_name
      alias_name       = module.function[function].lambda_alias_name
      alias_invoke_arn = module.function[function].lambda_alias_invoke_arn
    }
  }
  routes                 = local.routes
  throttling_rate_limit  = var.api_throttling_rate_limit
  throttling_burst_limit = var.api_throttling_burst_limit
  log_retention_in_days  = var.log_retention_in_days
  tags                   = var.tags
}

module "order_events" {
  source = "../msk-event-source"

  name                               = "${var.name}-order-consumer"
  function_alias_arn                 = module.function["order-consumer"].lambda_alias_arn
  function_role_name                 = module.function["order-consumer"].iam_role_name
  msk_cluster_arn                    = module.kafka.msk_cluster_arn
  topic_name                         = module.kafka.msk_orders_topic_name
  topic_arn                          = module.kafka.msk_orders_topic_arn
  consumer_group_id                  = var.consumer.group_id
  consumer_group_arn                 = "${module.kafka.msk_group_arn_prefix}/${var.consumer.group_id}"
  batch_size                         = var.consumer.batch_size
  maximum_batching_window_in_seconds = var.consumer.maximum_batching_window_in_seconds
  maximum_pollers                    = var.kafka.orders_topic_partitions
  tags                               = var.tags
}

# Migrations as a deploy-time step: the migrate function (Flyway, as the schema's
# owner) runs once per apply whose migrate jar changed (the migrations ship in
# it), before the apply ends. A failed run fails the apply. No other function
# migrates, and none may: their roles cannot change the schema.
resource "aws_lambda_invocation" "migrate" {
  function_name = module.function["migrate"].lambda_function_name
  qualifier     = module.function["migrate"].lambda_alias_name
  input         = jsonencode({ source = "terraform" })

  triggers = {
    jar = filebase64sha256("${local.artifacts_dir}/migrate/target/migrate-lambda.jar")
  }

  # the proxy and its target must be up: the function's settings name only its endpoint
  depends_on = [module.database]
}

module "reconciliation_schedule" {
  source = "../schedule"

  name        = "${var.name}-reconciliation"
  description = "Runs the reconciliation every minute."
  target_arn  = module.function["reconciliation"].lambda_alias_arn
  tags        = var.tags
}

# What the alarms and the dashboard watch besides the servers
locals {
  function_names = { for key, function in module.function : key => function.lambda_function_name }
  dead_letter_queue_names = {
    order-consumer          = module.order_events.sqs_queue_name
    reconciliation-schedule = module.reconciliation_schedule.sqs_queue_name
  }
}

module "dashboard" {
  source = "../dashboard"

  name                         = var.name
  api_id                       = module.http_api.apigatewayv2_api_id
  function_names               = local.function_names
  buy_function_name            = module.function["buy"].lambda_function_name
  consumer_function_name       = module.function["order-consumer"].lambda_function_name
  reconciliation_function_name = module.function["reconciliation"].lambda_function_name
  redis_cache_cluster_ids      = module.redis.redis_member_cluster_ids
  db_instance_identifier       = module.database.db_instance_identifier
  msk_cluster_name             = module.kafka.msk_cluster_name
  msk_broker_count             = var.kafka.number_of_broker_nodes
  dead_letter_queue_names      = local.dead_letter_queue_names
}

module "alarms" {
  source = "../alarms"

  name                          = var.name
  function_names                = local.function_names
  consumer_function_name        = module.function["order-consumer"].lambda_function_name
  reconciliation_function_name  = module.function["reconciliation"].lambda_function_name
  payment_webhook_function_name = module.function[local.routes["POST /payments/webhook"].function].lambda_function_name
  redis_cache_cluster_ids       = module.redis.redis_member_cluster_ids
  db_instance_identifier        = module.database.db_instance_identifier
  api_id                        = module.http_api.apigatewayv2_api_id
  msk_cluster_name              = module.kafka.msk_cluster_name
  msk_broker_count              = var.kafka.number_of_broker_nodes
  dead_letter_queue_names       = local.dead_letter_queue_names

  consumer_offset_lag_threshold = var.consumer.offset_lag_alarm_threshold
  alarm_email_addresses         = var.alarm_email_addresses
  tags                          = var.tags
}
