"""The teaching site: the lecture and the two other documents, R and Python side by side."""
