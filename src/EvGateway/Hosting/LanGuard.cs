using System.Net;
using System.Security.Cryptography;
using System.Text;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Hosting;

/// <summary>
/// Keeps the gateway a LAN service: callers outside <c>Gateway:AllowedNetworks</c> (a forwarded port) get 403, and
/// when <c>Gateway:ApiKey</c> is set every request but health needs a matching X-Api-Key header.
/// </summary>
public sealed class LanGuard(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, IProblemDetailsService problems, ILogger<LanGuard> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static readonly string[] DefaultNetworks =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"];

    private readonly IPNetwork[] allowed = Parse(options.CurrentValue.AllowedNetworks);

    // Not async: an allowed request goes straight on, without a state machine of this middleware around it.
    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        // No address means an in-process caller (test host, Unix socket): nothing came over the network.
        if (remote is not null && !IsAllowed(remote))
        {
            logger.LogWarning("Refused a request from {Remote}: outside Gateway:AllowedNetworks", remote);
            return problems.RefuseAsync(context, 403, ErrorCodes.Forbidden, "Not allowed", "This gateway only answers its local networks (Gateway:AllowedNetworks).");
        }

        var key = options.CurrentValue.ApiKey;
        if (!string.IsNullOrEmpty(key) && !context.Request.Path.StartsWithSegments("/health") && !KeyMatches(context, key))
        {
            return problems.RefuseAsync(context, 401, "unauthorized", "API key required", $"Send the gateway's API key in the {ApiKeyHeader} header.");
        }

        return next(context);
    }

    public bool IsAllowed(IPAddress address)
    {
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in allowed)
        {
            if (network.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses CIDR ranges; an invalid one stops the start with the key's name.</summary>
    public static IPNetwork[] Parse(IReadOnlyCollection<string> networks) =>
        (networks.Count == 0 ? DefaultNetworks : networks).Select(text => IPNetwork.TryParse(text.Trim(), out var network)
            ? network
            : throw new OptionsValidationException(nameof(GatewayOptions.AllowedNetworks), typeof(GatewayOptions),
                [$"Gateway:AllowedNetworks: '{text}' is not a CIDR range such as 192.168.0.0/16."])).ToArray();

    private static bool KeyMatches(HttpContext context, string key) =>
        context.Request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } given
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
