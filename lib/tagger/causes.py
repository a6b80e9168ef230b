"""The complaint causes, in the order the console shows them."""
CAUSES = ("product_quality", "water_quality", "logistics", "installation", "filter",
          "invoice_gift", "not_as_described", "complaint_handling", "service_attitude",
          "engineer", "price")
