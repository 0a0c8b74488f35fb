data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_region" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  security_groups = merge(
    {
      lambda    = "Lambda functions"
      redis     = "ElastiCache Redis: from Lambda only"
      msk       = "MSK brokers: from Lambda and the event source mapping only"
      proxy     = "RDS Proxy: from Lambda only"
      rds       = "RDS PostgreSQL: from RDS Proxy only"
      endpoints = "Interface VPC endpoints (HTTPS)"
    },
    var.internet_egress ? { internet = "HTTPS to the internet through the NAT gateway: only the functions that call a third party" } : {},
  )

  # Each rule opens one port from one group to another: an egress rule on the source
  # and the matching ingress rule on the target. Nothing else is open.
  rules = {
    lambda-to-redis     = { from = "lambda", to = "redis", port = 6379 }
    lambda-to-msk       = { from = "lambda", to = "msk", port = 9098 }
    lambda-to-proxy     = { from = "lambda", to = "proxy", port = 5432 }
    proxy-to-rds        = { from = "proxy", to = "rds", port = 5432 }
    lambda-to-endpoints = { from = "lambda", to = "endpoints", port = 443 }
    # The MSK event source mapping polls from ENIs that carry the cluster's own
    # security group, so that group must reach the brokers and the endpoints too.
    msk-to-msk       = { from = "msk", to = "msk", port = 9098 }
    msk-to-endpoints = { from = "msk", to = "endpoints", port = 443 }
    # RDS Proxy reads its database secret from Secrets Manager.
    proxy-to-endpoints = { from = "proxy", to = "endpoints", port = 443 }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  for_each = { for index, az in local.azs : az => index }

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, var.subnet_newbits, each.value)

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}", Tier = "private" })
}

# No internet route (unless internet_egress, below): everything the functions call
# outside the VPC goes through the interface endpoints below.
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "this" {
  for_each = local.security_groups

  name        = "${var.name}-${each.key}"
  description = each.value
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.rules

  security_group_id            = aws_security_group.this[each.value.from].id
  referenced_security_group_id = aws_security_group.this[each.value.to].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.key
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = local.rules

  security_group_id            = aws_security_group.this[each.value.to].id
  referenced_security_group_id = aws_security_group.this[each.value.from].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.key
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.interface_endpoints)

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for subnet in aws_subnet.private : subnet.id]
  security_group_ids  = [aws_security_group.this["endpoints"].id]
  private_dns_enabled = true

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

# Internet egress, only with internet_egress (a third party the functions must call,
# e.g. a hosted captcha's siteverify): one public subnet with a NAT gateway in the
# first zone (if that zone fails, only those calls fail), the private subnets' default
# route through it, and HTTPS out only from the security group "internet", which only
# the functions that need it carry. Nothing can connect in.
resource "aws_internet_gateway" "this" {
  count = var.internet_egress ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = var.internet_egress ? 1 : 0

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[0]
  # the last subnet of the VPC's range: the private ones count from the first
  cidr_block = cidrsubnet(var.cidr_block, var.subnet_newbits, pow(2, var.subnet_newbits) - 1)

  tags = merge(var.tags, { Name = "${var.name}-public-${local.azs[0]}", Tier = "public" })
}

resource "aws_route_table" "public" {
  count = var.internet_egress ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = var.internet_egress ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = var.internet_egress ? 1 : 0

  subnet_id      = aws_subnet.public[0].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count = var.internet_egress ? 1 : 0

  domain = "vpc"

  tags = merge(var.tags, { Name = "${var.name}-nat" })
}

resource "aws_nat_gateway" "this" {
  count = var.internet_egress ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id

  tags = merge(var.tags, { Name = var.name })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_internet" {
  count = var.internet_egress ? 1 : 0

  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

resource "aws_vpc_security_group_egress_rule" "internet_https" {
  count = var.internet_egress ? 1 : 0

  security_group_id = aws_security_group.this["internet"].id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to the internet (through the NAT gateway)"
}
