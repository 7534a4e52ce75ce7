using EvGateway.Vehicles;

namespace EvGateway.Hosting;

/// <summary>
/// Refuses a browser's write (any method but GET, HEAD, OPTIONS, TRACE) sent by a page of another site: CORS only
/// hides the answer of a form post or a no-cors fetch, the command would still reach the car. The gateway has no
/// login, so no cookie to tie a token to; the browser's own Sec-Fetch-Site and Origin headers, which a page cannot
/// forge, tell its pages and the trusted origins (<see cref="LanCors.Trusts"/>) from the others. Scripts and home
/// automation send neither header and pass.
/// <para>
/// This is the decision flow of the automatic CSRF protection ASP.NET Core 11 ships (Fetch Metadata + Origin,
/// <c>ICsrfProtection</c>), which .NET 10 lacks: replace this class with the shipped middleware, trusting the same
/// origins, once the gateway moves to .NET 11.
/// </para>
/// </summary>
public sealed class CrossOriginGuard(RequestDelegate next, LanCors cors, IProblemDetailsService problems, ILogger<CrossOriginGuard> logger)
{
    public const string SecFetchSite = "Sec-Fetch-Site";

    // Not async: a read goes straight on, without a state machine of this middleware around it.
    public Task InvokeAsync(HttpContext context) =>
        IsSafe(context.Request.Method) || Allows(context.Request) ? next(context) : RefuseAsync(context);

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private bool Allows(HttpRequest request)
    {
        var site = request.Headers[SecFetchSite].ToString();
        if (site is "same-origin" or "none")
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && cors.Trusts(origin))
        {
            return true;
        }

        // A browser that says where the request comes from said another site.
        if (site.Length > 0)
        {
            return false;
        }

        // Browsers send Sec-Fetch-Site only to https and localhost, so a page of the gateway at its LAN address shows
        // itself by an Origin naming the host it asked; "null" (a sandboxed frame, a local file) names none.
        return origin.Length == 0 || NamesHost(origin, request.Host);
    }

    // Browsers serialise Origin as scheme://host[:port] and Host as host[:port], both without a default port.
    private static bool NamesHost(string origin, HostString host)
    {
        var scheme = origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "http://".Length
            : origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "https://".Length
            : 0;
        return scheme > 0 && host.HasValue && origin.AsSpan(scheme).Equals(host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private Task RefuseAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString() is { Length: > 0 } given ? given : "(none)";
        logger.LogInformation("Refused a cross-site {Method} {Path} from origin {Origin}", context.Request.Method, context.Request.Path, origin);
        return problems.RefuseAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Cross-site request refused",
            $"The browser sent this request for a page of another site (Origin: {origin}); the gateway accepts changes only from "
            + "its own pages and trusted origins. To allow that page, add its origin to Gateway:CorsOrigins.");
    }
}
