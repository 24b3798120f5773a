from . import loan_collection_demo
