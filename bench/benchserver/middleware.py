from django.db import connection


def count_queries(get_response):
    """Each response says how many SQL statements it took (X-Queries), which gunicorn's
    access log writes beside the time the response took."""

    def middleware(request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response["X-Queries"] = str(count)
        return response

    return middleware
