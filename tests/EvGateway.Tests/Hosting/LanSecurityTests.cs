using EvGateway.Hosting;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Hosting;

/// <summary>The Host-header guard and the CORS policy keep the car's data from pages on the internet.</summary>
public sealed class LanSecurityTests
{
    private const string Vin = "VR3UHZKXZLT000001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("192.168.1.20", true)]
    [InlineData("[fe80::1]", true)]
    [InlineData("::1", true)]
    [InlineData("localhost", true)]
    [InlineData("evgateway.local", true)]
    [InlineData("EVGATEWAY.LOCAL.", true)]
    [InlineData("evgateway", true)]
    [InlineData("evil.example.com", false)]
    [InlineData("192.168.1.20.nip.io", false)]
    [InlineData("local.example.com", false)]
    public void Lan_names_are_ip_literals_localhost_mdns_and_single_label_names(string host, bool allowed) =>
        Assert.Equal(allowed, LanNames.Parse([]).Allows(host));

    [Theory]
    [InlineData("gateway.example.org", "gateway.example.org", true)]
    [InlineData("*.example.org", "car.home.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", "example.org.evil.com", false)]
    public void Allowed_hosts_widen_the_names_exactly_or_below_a_wildcard(string setting, string host, bool allowed) =>
        Assert.Equal(allowed, LanNames.Parse([setting]).Allows(host));

    [Theory]
    [InlineData("http://192.168.1.20:5000", true)]
    [InlineData("http://homeassistant.local:8123", true)]
    [InlineData("http://homeassistant:8123", true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://[fd00::20]:8123", true)]
    [InlineData("https://evil.example.com", false)]
    [InlineData("http://8.8.8.8", false)]
    [InlineData("http://[2001:4860::8888]", false)]
    [InlineData("null", false)]
    [InlineData("file://", false)]
    public void Origins_on_the_home_network_may_read_answers_and_public_ones_may_not(string origin, bool allowed) =>
        Assert.Equal(allowed, LanCors.Parse(new GatewayOptions()).Allows(origin));

    [Fact]
    public void An_origin_address_outside_the_allowed_networks_is_not_a_home_origin()
    {
        var cors = LanCors.Parse(new GatewayOptions { AllowedNetworks = ["192.168.1.0/24"] });

        Assert.True(cors.Allows("http://192.168.1.20:5000"));
        Assert.False(cors.Allows("http://10.0.0.5:5000"));
    }

    [Theory]
    [InlineData("https://gateway.example.org:443")]
    [InlineData("https://gateway.example.org/")]
    [InlineData("https://gateway.example.org")]
    public void A_cors_origin_setting_widens_the_policy(string setting) =>
        Assert.True(LanCors.Parse(new GatewayOptions { CorsOrigins = [setting] }).Allows("https://gateway.example.org"));

    [Theory]
    [InlineData("AllowedHosts", "http://gateway.example.org")]
    [InlineData("AllowedHosts", "gateway example")]
    [InlineData("CorsOrigins", "homeassistant:8123")]
    [InlineData("CorsOrigins", "https://ha.example.org/dashboard")]
    public void A_setting_that_is_not_a_host_or_an_origin_stops_the_start_naming_the_key(string key, string value)
    {
        var options = key == "AllowedHosts" ? new GatewayOptions { AllowedHosts = [value] } : new GatewayOptions { CorsOrigins = [value] };

        var failure = Assert.ThrowsAny<Exception>(() => (LanNames.Parse(options.AllowedHosts), LanCors.Parse(options)));

        Assert.StartsWith($"Gateway:{key}: '{value}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dns_rebinding_request_gets_421_and_no_data()
    {
        using var data = new TemporaryDirectory();
        await using var app = await StartAsync(data);

        var answers = new[] { "/get_vehicles", $"/api/vehicles/{Vin}/status", "/health/live" }
            .Select(path => SendAsync(app, path, host: "evil.example.com:5000"));

        foreach (var answer in await Task.WhenAll(answers))
        {
            Assert.Equal(StatusCodes.Status421MisdirectedRequest, answer.Status);
            Assert.Contains(HostGuard.Code, answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(Vin, answer.Body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/get_vehicles")]
    [InlineData($"/api/vehicles/{Vin}/status")]
    [InlineData("/setup")]
    public async Task Home_assistant_and_the_setup_page_still_work_by_address_and_by_lan_name(string path)
    {
        using var data = new TemporaryDirectory();
        await using var app = await StartAsync(data);

        foreach (var (host, origin) in new[] { ("192.168.1.20:5000", "http://192.168.1.20:5000"), ("evgateway.local:5000", "http://homeassistant.local:8123"), ("evgateway:5000", "http://homeassistant:8123") })
        {
            var answer = await SendAsync(app, path, host, origin);

            Assert.Equal(StatusCodes.Status200OK, answer.Status);
            Assert.Equal(origin, answer.AllowOrigin);
        }
    }

    [Fact]
    public async Task A_public_origin_gets_no_allow_origin_header_on_a_read_or_a_preflight()
    {
        using var data = new TemporaryDirectory();
        await using var app = await StartAsync(data);

        var read = await SendAsync(app, "/get_vehicles", "192.168.1.20:5000", "https://evil.example.com");
        var preflight = await SendAsync(app, $"/api/vehicles/{Vin}/charge-control", "192.168.1.20:5000", "https://evil.example.com", HttpMethods.Options);
        var lanPreflight = await SendAsync(app, $"/api/vehicles/{Vin}/charge-control", "192.168.1.20:5000", "http://homeassistant:8123", HttpMethods.Options);

        Assert.Null(read.AllowOrigin);
        Assert.Null(preflight.AllowOrigin);
        Assert.Equal("http://homeassistant:8123", lanPreflight.AllowOrigin);
    }

    [Fact]
    public async Task The_settings_widen_the_hosts_and_origins_and_a_star_allows_every_origin()
    {
        using var data = new TemporaryDirectory();
        using var openData = new TemporaryDirectory();
        await using var widened = await StartAsync(data, new Dictionary<string, string?>
        {
            ["Gateway:AllowedHosts:0"] = "*.example.org",
            ["Gateway:CorsOrigins:0"] = "https://ha.example.org",
        });
        await using var open = await StartAsync(openData, new Dictionary<string, string?> { ["Gateway:CorsOrigins:0"] = "*" });

        var byName = await SendAsync(widened, "/get_vehicles", "car.example.org", "https://ha.example.org");
        var otherOrigin = await SendAsync(widened, "/get_vehicles", "car.example.org", "https://other.example.org");
        var anyOrigin = await SendAsync(open, "/get_vehicles", "192.168.1.20", "https://anywhere.example.com");

        Assert.Equal(StatusCodes.Status200OK, byName.Status);
        Assert.Equal("https://ha.example.org", byName.AllowOrigin);
        Assert.Null(otherOrigin.AllowOrigin);
        Assert.Equal("*", anyOrigin.AllowOrigin);
    }

    private static async Task<GatewayApp> StartAsync(TemporaryDirectory data, Dictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var cars = new SimulatedCarsProvider("Psa", time, TimeZoneInfo.Utc);
        cars.Add(Vin, level: 60, charging: false);
        return await GatewayApp.StartOverStandInsAsync(time, data.Path, [cars], settings);
    }

    private static async Task<(int Status, string Body, string? AllowOrigin)> SendAsync(GatewayApp app, string path, string host,
        string? origin = null, string method = "GET")
    {
        var server = (TestServer)app.Services.GetRequiredService<IServer>();
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.Host = new HostString(host);
            if (origin is not null)
            {
                c.Request.Headers.Origin = origin;
            }

            if (method == HttpMethods.Options)
            {
                c.Request.Headers.AccessControlRequestMethod = "PUT";
            }
        }, Ct);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(Ct);
        return (context.Response.StatusCode, body, context.Response.Headers.AccessControlAllowOrigin.FirstOrDefault());
    }
}
