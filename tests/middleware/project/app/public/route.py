from plain import text_route

GET, POST = text_route("public")
