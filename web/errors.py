"""The one error boundary: every failure becomes JSON under /api/ and an HTML page elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from corpus.errors import XjsearchError
from indexer.errors import IndexCorrupt, IndexLocked, IndexMissing, IndexOutdated, IndexStateError
from search.errors import BadQuery
from web.params import CONTROL_CHARACTERS, BadParameter

log = logging.getLogger(__name__)

# What each status says to a reader of the HTML page.
TITLES = {
    400: "请求有误",
    404: "页面不存在",
    405: "不支持的请求方法",
    500: "服务器内部错误",
    503: "暂时无法检索",
}


def printable(text: str) -> str:
    """Text from a URL made fit to echo in a page: its control characters removed."""
    return CONTROL_CHARACTERS.sub("", text)


def status_of(error: XjsearchError) -> int:
    """The HTTP status that answers a library error."""
    if isinstance(error, (BadParameter, BadQuery)):
        return 400
    if isinstance(error, IndexStateError):
        # Missing, locked, outdated or corrupt: the message names the command that fixes it.
        return 503
    return 500


def index_problem(error: IndexStateError) -> tuple[str, str | None]:
    """What is wrong with the index, in Chinese, and the command that fixes it (None: wait instead)."""
    # Chosen by the error's type, never by its (English) message, which the command line shows.
    path = getattr(error, "path", "")
    if isinstance(error, IndexMissing):
        return f"{path} 还没有索引，需要先从语料建立索引。", f"xjsearch index --index {path}"
    if isinstance(error, IndexLocked):
        return f"索引 {path} 正在重建，请等重建完成后刷新本页。", None
    if isinstance(error, IndexOutdated):
        return (f"{path} 的索引是用另一版本的 xjsearch 建立的，本版本无法读取，需要重建索引。",
                f"xjsearch index --rebuild --index {path}")
    if isinstance(error, IndexCorrupt):
        return f"{path} 的索引文件已损坏或不完整，无法读取，需要重建索引。", f"xjsearch index --rebuild --index {path}"
    return "索引暂时无法使用，需要重建索引。", f"xjsearch index --rebuild --index {path}" if path else "xjsearch index --rebuild"


def error_response(message: str, status: int, command: str | None = None) -> Response:
    """The response for an error: {"error", "status"} JSON for the API, else the error page.

    command is what to run in a terminal to fix it: the JSON message ends with it, the page shows it as code.
    """
    if request.path == "/api" or request.path.startswith("/api/"):
        response = jsonify({"error": message + (f"请运行：{command}" if command else ""), "status": status})
        response.status_code = status
        return response
    return make_response(render_template("error.html", message=printable(message), command=command, status=status,
                                         title=TITLES.get(status, "出错了")), status)


def register(app: Flask) -> None:
    """Install the error boundary on app."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        messages = {404: "没有这个页面", 405: f"不支持 {request.method} 请求"}
        response = error_response(messages.get(error.code or 500, error.description or "请求有误"),
                                  error.code or 500)
        # What the exception says besides its body: Allow on a 405 (the methods the URL takes), Retry-After…
        for name, value in error.get_headers():
            if name.lower() == "allow":
                value = ", ".join(sorted(value.split(", ")))  # Werkzeug lists them in a set's order
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(XjsearchError)
    def _library(error: XjsearchError):
        status = status_of(error)
        if status == 500:
            log.exception("unexpected library error on %s", request.path)
            return error_response("服务器内部错误", 500)
        if isinstance(error, IndexStateError):
            if isinstance(error, IndexCorrupt):
                log.warning("%s", error)  # the reason, which the page leaves out
            message, command = index_problem(error)
            return error_response(message, status, command)
        return error_response(str(error), status)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # A 500 is always a bug: log it whole, tell the user nothing internal.
        log.exception("unhandled error on %s", request.path, exc_info=error)
        return error_response("服务器内部错误", 500)
