"""The naive pipeline slant's ask is measured against: LangChain + Chroma + llama.cpp with the same
model (Gemma 3 270M GGUF) and embedder (MiniLM), no verification, on the same questions.

    python evals/bench/naive_rag.py evals/questions/basil-dev.yaml --data ../shared/data/basil-dev.jsonl

Chunks of 1,000 characters (200 overlap, LangChain's recursive splitter) in an in-memory Chroma
collection, the 4 nearest as context, a plain "answer from the context" prompt. Scored as
`slant eval questions` scores slant: an answer is right when it holds an alias (the naive answer
cites nothing, so citing is not required of it); an unanswerable question is declined when the
answer says the context does not tell; an answer is invented when the verifier finds a number,
name or quotation in it that the retrieved context does not hold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.prompts import PromptTemplate
from langchain_text_splitters import RecursiveCharacterTextSplitter

from slant.evals.questions import load_questions
from slant.integrations.langchain import SlantEmbeddings
from slant.verify.evidence import Verifier

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "helpers"))
from llama_langchain import default_model

PROMPT = PromptTemplate.from_template(
    "Use the following context to answer the question. If you don't know the answer, say that you "
    "don't know.\n\nContext:\n{context}\n\nQuestion: {question}\nAnswer:"
)
_DECLINED = re.compile(r"\b(don't know|do not know|not (?:mentioned|stated|given|provided)|no information)\b", re.I)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    documents = [Document(page_content=r["text"], metadata={"key": r["key"]}) for r in records]
    store = Chroma.from_documents(splitter.split_documents(documents), SlantEmbeddings())
    retriever = store.as_retriever(search_kwargs={"k": 4})
    model = default_model().bind(stop=["\n\n", "Question:"])
    right = declined = invented = answerable = unanswerable = 0
    for question in load_questions(args.questions).questions:
        context = retriever.invoke(question.question)
        text = model.invoke(
            PROMPT.format(context="\n\n".join(d.page_content for d in context), question=question.question)
        ).strip()
        problems = Verifier(None, [], [d.page_content for d in context]).fact_problems(text)
        invented += bool(problems) and not _DECLINED.search(text)
        if question.unanswerable:
            unanswerable += 1
            declined += bool(_DECLINED.search(text) or not text)
            verdict = "declined" if _DECLINED.search(text) or not text else "ANSWERED"
        else:
            answerable += 1
            hit = any(alias.lower() in text.lower() for alias in question.answers)
            right += hit
            verdict = "right" if hit else "WRONG"
        print(f"{verdict:<8} {question.id:<4} {text[:100]!r} {problems[:1]}")
    print(
        f"naive: answerable {right}/{answerable} right; unanswerable {declined}/{unanswerable} declined; "
        f"answers with a number, name or quotation not in the context: {invented}"
    )


if __name__ == "__main__":
    main()
