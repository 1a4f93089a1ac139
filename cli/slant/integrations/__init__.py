"""Adapters that let other frameworks use slant (LangChain: `slant.integrations.langchain`)."""
