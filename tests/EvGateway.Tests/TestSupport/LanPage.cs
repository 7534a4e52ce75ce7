namespace EvGateway.Tests.TestSupport;

/// <summary>Requests as a browser page on the home network sends them (Home Assistant's dashboard), with its Origin.</summary>
internal static class LanPage
{
    public const string Origin = "http://homeassistant.local:8123";

    public static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url) { Headers = { { "Origin", Origin } } };
}
