from django.apps import AppConfig


class TradeComplianceConfig(AppConfig):
    name = "ctpat.tradecompliance"
    label = "tradecompliance"
    verbose_name = "CTPAT Trade Compliance"
