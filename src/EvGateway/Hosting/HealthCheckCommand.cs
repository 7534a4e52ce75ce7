using System.Diagnostics;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Hosting;

/// <summary>
/// <c>EvGateway healthcheck</c>: asks the gateway serving on this machine for <c>/health/live</c> and exits 0 when it
/// answers 200, 1 otherwise, with one line either way, so a container checks itself without curl or wget. Live, not
/// ready: ready stays unhealthy while a maker waits for a person (an e-mailed code, a new password), and a container
/// runtime restarts what it sees unhealthy, which fixes neither.
/// </summary>
internal sealed class HealthCheckCommand(IConfiguration configuration, IOptions<GatewayOptions> gateway) : IGatewayCommand
{
    public const string LivePath = "/health/live";

    // Inside a container runtime's own 5 s budget, with room for the process to start.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public string Name => "healthcheck";

    public string Usage => "healthcheck                 exit 0 when the gateway on this machine answers /health/live, else 1";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var url = LiveUrl(configuration["urls"] is { Length: > 0 } urls ? urls : gateway.Value.Urls);
        using var http = new HttpClient { Timeout = Timeout };
        var clock = Stopwatch.StartNew();
        try
        {
            using var answer = await http.GetAsync(url, cancellationToken);
            var healthy = answer.IsSuccessStatusCode;
            await output.WriteLineAsync(
                $"{(healthy ? "healthy" : "unhealthy")}: {url} answered {(int)answer.StatusCode} in {clock.ElapsedMilliseconds} ms");
            return healthy ? 0 : 1;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            var why = failure is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : failure.Message;
            await output.WriteLineAsync($"unhealthy: {url} did not answer ({why})");
            return 1;
        }
    }

    /// <summary>
    /// The live endpoint on the first URL the gateway listens on; a wildcard or name host is reached on 127.0.0.1,
    /// an address the gateway binds to directly is asked there.
    /// </summary>
    internal static Uri LiveUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var (scheme, rest) = first.Split("://", 2) is [var s, var r] ? (s, r) : ("http", first);
        var authority = rest.Split('/')[0];
        var colon = authority.LastIndexOf(':');
        var host = colon > 0 && !authority.EndsWith(']') ? authority[..colon] : authority;
        var port = colon > 0 && !authority.EndsWith(']') ? authority[(colon + 1)..] : scheme == "https" ? "443" : "80";
        var target = LanNames.AsIpLiteral(host) is { } address && !address.Equals(System.Net.IPAddress.Any) && !address.Equals(System.Net.IPAddress.IPv6Any)
            ? host
            : "127.0.0.1";
        return new Uri($"{scheme}://{target}:{port}{LivePath}");
    }
}
