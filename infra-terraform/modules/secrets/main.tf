# A new random value is read at every plan; only the first one is ever written
# (ignore_changes below). Rotating a secret is a deliberate step, see README.
data "aws_secretsmanager_random_password" "this" {
  for_each = var.secrets

  password_length     = var.password_length
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "this" {
  for_each = var.secrets

  name                    = "${var.name}/${each.key}"
  description             = each.value.description
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "initial" {
  for_each = var.secrets

  secret_id     = aws_secretsmanager_secret.this[each.key].id
  secret_string = replace(each.value.template, "RANDOM", data.aws_secretsmanager_random_password.this[each.key].random_password)

  lifecycle {
    ignore_changes = [secret_string]
  }
}
