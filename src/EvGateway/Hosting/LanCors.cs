using System.Net;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Hosting;

/// <summary>
/// One CORS policy for the whole gateway: a browser page may read answers when it comes from the home network (an
/// origin on an address of <c>Gateway:AllowedNetworks</c>, <c>localhost</c>, <c>*.local</c> or a single-label
/// host, such as Home Assistant's dashboard) or from an origin in <c>Gateway:CorsOrigins</c>; <c>*</c> there
/// allows every origin. A page on the internet gets no Access-Control-Allow-Origin, so the browser keeps the car's
/// data from it.
/// </summary>
public sealed class LanCors
{
    public const string AnyOrigin = "*";

    private readonly IPNetwork[] networks;
    private readonly HashSet<string> origins;

    private LanCors(IPNetwork[] networks, HashSet<string> origins)
    {
        this.networks = networks;
        this.origins = origins;
    }

    public bool AllowsAnyOrigin => origins.Contains(AnyOrigin);

    /// <summary>Parses <c>Gateway:CorsOrigins</c>; an entry that is not an origin stops the start with the key's name.</summary>
    public static LanCors Parse(GatewayOptions options)
    {
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in options.CorsOrigins.Select(entry => entry.Trim()))
        {
            origins.Add(entry == AnyOrigin ? AnyOrigin : OriginOf(entry) ?? throw new OptionsValidationException(
                nameof(GatewayOptions.CorsOrigins), typeof(GatewayOptions),
                [$"Gateway:CorsOrigins: '{entry}' is not an origin such as https://ha.example.org (or * for any)."]));
        }

        return new LanCors(LanGuard.Parse(options.AllowedNetworks), origins);
    }

    /// <summary>True when a page from <paramref name="origin"/> (an Origin header's value) may read answers.</summary>
    public bool Allows(string origin) => AllowsAnyOrigin || Trusts(origin);

    /// <summary>
    /// True when <paramref name="origin"/> is on the home network or named in <c>Gateway:CorsOrigins</c>: a page the
    /// owner chose, so it may also change things. <c>*</c> is no such choice, only a wish to share reads.
    /// </summary>
    public bool Trusts(string origin)
    {
        if (OriginOf(origin) is not { } normalised)
        {
            return false;
        }

        if (origins.Contains(normalised))
        {
            return true;
        }

        var host = new Uri(normalised).Host;
        return LanNames.AsIpLiteral(host) is { } address
            ? networks.Any(network => network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address))
            : LanNames.IsLanName(host);
    }

    // "scheme://host[:port]" as a browser sends it in Origin, or null when the text is not a web origin.
    private static string? OriginOf(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
