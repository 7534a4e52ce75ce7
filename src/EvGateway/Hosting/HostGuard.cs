namespace EvGateway.Hosting;

/// <summary>
/// Answers only requests addressed to a LAN name (see <see cref="LanNames"/>), so a page on the internet cannot read
/// the car through DNS rebinding: its requests carry the attacker's host name. Others get 421 Misdirected Request,
/// the status for "this server does not serve that authority"; health endpoints included (a container health check
/// calls 127.0.0.1, which passes).
/// </summary>
public sealed class HostGuard(RequestDelegate next, LanNames names, IProblemDetailsService problems, ILogger<HostGuard> logger)
{
    public const string Code = "host_not_allowed";

    // Not async: an allowed request goes straight on, without a state machine of this middleware around it.
    public Task InvokeAsync(HttpContext context)
    {
        // No Host at all is an HTTP/1.0 script, never a browser, so never a rebinding page.
        var host = context.Request.Host;
        if (host.HasValue && !names.Allows(host.Host))
        {
            logger.LogWarning("Refused a request for host {Host}: not a LAN name nor in Gateway:AllowedHosts", host.Host);
            return problems.RefuseAsync(context, StatusCodes.Status421MisdirectedRequest, Code, "Host not served",
                "This gateway answers IP addresses, localhost, *.local and single-label names; add others to Gateway:AllowedHosts.");
        }

        return next(context);
    }
}
