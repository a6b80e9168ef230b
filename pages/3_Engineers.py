from lib.navigation import page_for
from lib.ui.frame import page_frame

ctx = page_frame(page_for("pages/3_Engineers.py"))
