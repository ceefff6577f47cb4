"""The RNN Basics course's own tooling: figures and tables for the book, grading helpers."""
