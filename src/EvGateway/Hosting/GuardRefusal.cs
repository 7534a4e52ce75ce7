namespace EvGateway.Hosting;

/// <summary>How a guard that stops a request before any route answers: a ProblemDetails carrying the gateway's <c>code</c>.</summary>
internal static class GuardRefusal
{
    public static async Task RefuseAsync(this IProblemDetailsService problems, HttpContext context, int status, string code, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}
