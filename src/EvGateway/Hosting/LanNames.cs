using System.Net;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Hosting;

/// <summary>
/// The names a browser on the home network reaches the gateway by: IP literals, <c>localhost</c>, <c>*.local</c>
/// (mDNS) and single-label names (the router's DNS), plus the owner's <c>Gateway:AllowedHosts</c> (exact, or
/// <c>*.example.org</c> for any name below it). A name outside these is how a DNS-rebinding page reaches a LAN
/// service: the attacker's public name resolves, a moment later, to the gateway's address.
/// </summary>
public sealed class LanNames
{
    // A page sending made-up names cannot grow the memory without bound: beyond this many, names are checked each time.
    private const int MaxRemembered = 256;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> answers = new(StringComparer.Ordinal);
    private readonly HashSet<string> exact;
    private readonly string[] suffixes;

    private LanNames(HashSet<string> exact, string[] suffixes)
    {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    /// <summary>Parses <c>Gateway:AllowedHosts</c>; an entry that is not a host name stops the start with the key's name.</summary>
    public static LanNames Parse(IReadOnlyCollection<string> allowedHosts)
    {
        var exact = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var suffixes = new List<string>();
        foreach (var entry in allowedHosts.Select(entry => entry.Trim()))
        {
            var wildcard = entry.StartsWith("*.", StringComparison.Ordinal);
            var name = Normalise(wildcard ? entry[2..] : entry);
            if (Uri.CheckHostName(name) is UriHostNameType.Unknown or UriHostNameType.Basic)
            {
                throw new OptionsValidationException(nameof(GatewayOptions.AllowedHosts), typeof(GatewayOptions),
                    [$"Gateway:AllowedHosts: '{entry}' is not a host name such as gateway.example.org or *.example.org."]);
            }

            if (wildcard)
            {
                suffixes.Add("." + name);
            }
            else
            {
                exact.Add(name);
            }
        }

        return new LanNames(exact, [.. suffixes]);
    }

    /// <summary>True for a name on the home network or one the owner allowed.</summary>
    public bool Allows(string host)
    {
        // Every request asks, and a home network uses a handful of names: the answer is kept per name as sent.
        if (answers.TryGetValue(host, out var known))
        {
            return known;
        }

        var allowed = Decide(Normalise(host));
        if (answers.Count < MaxRemembered)
        {
            answers.TryAdd(host, allowed);
        }

        return allowed;
    }

    // Apart from Allows: a lambda capturing the name there would allocate its closure on every request, cached or not.
    private bool Decide(string name) =>
        IsLanName(name) || exact.Contains(name) || suffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>True for an IP literal, localhost, an mDNS name or a single-label name.</summary>
    public static bool IsLanName(string host)
    {
        var name = Normalise(host);
        return name.Length > 0 && (IsIpLiteral(name) || !name.Contains('.', StringComparison.Ordinal) || name == "localhost"
                                   || name.EndsWith(".localhost", StringComparison.Ordinal) || name.EndsWith(".local", StringComparison.Ordinal));
    }

    /// <summary>The address an IP-literal host names, or null for a name.</summary>
    public static IPAddress? AsIpLiteral(string host) =>
        Normalise(host) is var name && IsIpLiteral(name) ? IPAddress.Parse(name) : null;

    // Only the canonical forms: IPAddress.TryParse also takes "10.1" or "0x7f.1", which are names to a browser's URL parser
    // only by accident, and a single number, which is a single-label name anyway.
    private static bool IsIpLiteral(string name) =>
        Uri.CheckHostName(name) is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(name, out _);

    // "[::1]" and "gateway.example.org." name the same hosts as "::1" and "gateway.example.org".
    private static string Normalise(string host) => host.Trim().TrimEnd('.').Trim('[', ']').ToLowerInvariant();
}
