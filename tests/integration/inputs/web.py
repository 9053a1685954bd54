"""Saved web pages: an article inside a news site's navigation, links, comments and footer."""

from __future__ import annotations

import html

from tests.integration.inputs.texts import Written

SITE = "天山援疆网"
NAVIGATION = ("首页", "援疆动态", "政策文件", "图片新闻", "专题报道", "联系我们")
RELATED = ("塔城地区举办农产品展销会", "伊犁州开展冬季送温暖活动", "哈密市新建一批便民服务站")
# Words that stand only in the page's navigation, links, comments and footer, never in an article.
BOILERPLATE_MARKERS = ("首页", "联系我们", "相关阅读", "网友评论", "版权所有", "塔城地区举办", "备案号")


def news_page(article: Written, url: str, *, charset: str = "utf-8", author: str = "王明") -> str:
    """A news site's article page as a browser saves it, declaring charset."""
    nav = "".join(f'<li><a href="/{n}">{n}</a></li>' for n in NAVIGATION)
    related = "".join(f'<li><a href="/r{n}.html">{t}</a></li>' for n, t in enumerate(RELATED))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    year, month, day = article.date.split("-")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>{html.escape(article.title)}_援疆动态_{SITE}</title>
<link rel="canonical" href="{url}">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{html.escape(article.title)}">
<meta property="og:site_name" content="{SITE}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{article.date}T09:30:00+08:00">
</head><body>
<header><div class="logo">{SITE}</div><nav><ul>{nav}</ul></nav>
<form><input name="q" placeholder="搜索"></form></header>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/援疆动态">援疆动态</a> &gt; 正文</div>
<main><article>
<h1>{html.escape(article.title)}</h1>
<div class="info">来源：{SITE} 发布时间：{year}年{month}月{day}日 作者：{author}</div>
<div class="content">{body}</div>
</article>
<aside><h3>相关阅读</h3><ul>{related}</ul></aside>
<section class="comments"><h3>网友评论</h3><p>这是一条网友评论：点赞援疆！</p></section>
</main>
<footer><p>版权所有 {SITE} 备案号：新ICP备00000000号</p><p><a href="/联系我们">联系我们</a></p></footer>
</body></html>"""
