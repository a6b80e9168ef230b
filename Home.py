"""Entry page: the overview for the signed-in role."""
import streamlit as st

from lib.navigation import HOME
from lib.ui.frame import page_frame, shown_errors
from lib.ui.home import overview

ctx = page_frame(HOME)
with shown_errors():
    overview(ctx)
