using System.Text;
using System.Text.Json;
using EvGateway.Hosting;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Tests.Hosting;

/// <summary>
/// A page of another site may make the owner's browser post a command (a form, a no-cors fetch): CORS hides only the
/// answer. The cross-origin guard stops such writes before the car hears of them, and lets the gateway's own pages,
/// the home network's pages and scripts through.
/// </summary>
public sealed class CrossOriginGuardTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private const string ChargeStart = $"/api/vehicles/{Vin}/commands/charge-start";
    private const string GatewayHost = "192.168.1.10:5000";
    private const string Evil = "https://evil.example";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cross_site_form_post_of_a_command_is_refused_with_403_and_the_car_never_hears_of_it()
    {
        await using var app = await GatewayApp.StartAsync(makers: Makers.Renault);

        var answer = await PostFormAsync(app, ChargeStart, GatewayHost, origin: Evil);

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        var problem = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(ErrorCodes.Forbidden, problem.GetProperty("code").GetString());
        Assert.Equal("Cross-site request refused", problem.GetProperty("title").GetString());
        Assert.Contains($"Origin: {Evil}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Gateway:CorsOrigins", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.Simulator.Renault.CallCount("charging-start"));
        var refusal = Assert.Single(app.Log.Lines, line => line.Contains("Refused a cross-site", StringComparison.Ordinal));
        Assert.StartsWith("Information", refusal, StringComparison.Ordinal);
        Assert.Contains(ChargeStart, refusal, StringComparison.Ordinal);
        Assert.Contains(Evil, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData(Evil, "cross-site")]
    [InlineData("https://shop.example", "same-site")]
    [InlineData(null, "cross-site")]
    public async Task A_browser_write_from_another_site_is_refused_and_sends_no_command(string? origin, string? site)
    {
        await using var app = await GatewayApp.StartAsync(makers: Makers.Renault);

        var answer = await PostFormAsync(app, ChargeStart, GatewayHost, origin, site);

        Assert.Equal(StatusCodes.Status403Forbidden, answer.Status);
        Assert.Equal(ErrorCodes.Forbidden, JsonDocument.Parse(answer.Body).RootElement.GetProperty("code").GetString());
        Assert.Equal(0, app.Simulator.Renault.CallCount("charging-start"));
    }

    [Theory]
    [InlineData(GatewayHost, null, "same-origin")]
    [InlineData(GatewayHost, null, "none")]
    [InlineData(GatewayHost, $"http://{GatewayHost}", null)]
    [InlineData(GatewayHost, "http://homeassistant.local:8123", null)]
    [InlineData(GatewayHost, "http://homeassistant.local:8123", "cross-site")]
    [InlineData(GatewayHost, null, null)]
    public async Task A_write_from_the_gateways_own_page_a_home_network_page_or_a_script_sends_the_command(string host, string? origin, string? site)
    {
        await using var app = await GatewayApp.StartAsync(makers: Makers.Renault);

        var answer = await PostFormAsync(app, ChargeStart, host, origin, site);

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.Equal(1, app.Simulator.Renault.CallCount("charging-start"));
    }

    [Fact]
    public async Task Behind_a_name_off_the_home_network_only_a_page_of_the_same_host_and_port_may_write()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowedHosts:0"] = "car.example.org" }, makers: Makers.Renault);

        var otherPort = await PostFormAsync(app, ChargeStart, "car.example.org", "https://car.example.org:8443");
        var otherHost = await PostFormAsync(app, ChargeStart, "car.example.org", "https://example.org");
        var otherScheme = await PostFormAsync(app, ChargeStart, "car.example.org", "ftp://car.example.org");
        Assert.Equal(0, app.Simulator.Renault.CallCount("charging-start"));
        var ownPage = await PostFormAsync(app, ChargeStart, "car.example.org", "https://CAR.example.org");

        Assert.Equal(StatusCodes.Status403Forbidden, otherPort.Status);
        Assert.Equal(StatusCodes.Status403Forbidden, otherHost.Status);
        Assert.Equal(StatusCodes.Status403Forbidden, otherScheme.Status);
        Assert.Equal(StatusCodes.Status202Accepted, ownPage.Status);
        Assert.Equal(1, app.Simulator.Renault.CallCount("charging-start"));
    }

    [Fact]
    public async Task An_origin_in_the_cors_setting_may_write()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:CorsOrigins:0"] = "https://ha.example.org" }, makers: Makers.Renault);

        var answer = await PostFormAsync(app, ChargeStart, GatewayHost, "https://ha.example.org", "cross-site");

        Assert.Equal(StatusCodes.Status202Accepted, answer.Status);
        Assert.Equal(1, app.Simulator.Renault.CallCount("charging-start"));
    }

    [Fact]
    public async Task A_star_cors_setting_shares_reads_with_every_origin_but_not_writes()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:CorsOrigins:0"] = "*" }, makers: Makers.Renault);
        const string anywhere = "https://anywhere.example.com";

        var write = await PostFormAsync(app, ChargeStart, GatewayHost, anywhere);
        var read = await SendAsync(app, HttpMethods.Get, "/get_vehicles", GatewayHost, anywhere, site: null, form: false);

        Assert.Equal(StatusCodes.Status403Forbidden, write.Status);
        Assert.Equal(0, app.Simulator.Renault.CallCount("charging-start"));
        Assert.Equal(StatusCodes.Status200OK, read.Status);
        Assert.Equal("*", read.AllowOrigin);
        Assert.Contains(Vin, read.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_from_a_foreign_origin_is_left_to_cors_which_shares_no_answer()
    {
        await using var app = await GatewayApp.StartAsync(makers: Makers.Renault);

        var read = await SendAsync(app, HttpMethods.Get, "/get_vehicles", GatewayHost, Evil, "cross-site", form: false);

        Assert.Equal(StatusCodes.Status200OK, read.Status);
        Assert.Null(read.AllowOrigin);
        Assert.DoesNotContain(app.Log.Lines, line => line.Contains("Refused a cross-site", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_passes_the_guard_without_allocating()
    {
        await using var services = new ServiceCollection().AddOptions().AddProblemDetails().BuildServiceProvider();
        var guard = new CrossOriginGuard(_ => Task.CompletedTask, LanCors.Parse(new GatewayOptions()),
            services.GetRequiredService<IProblemDetailsService>(), NullLogger<CrossOriginGuard>.Instance);
        var read = new DefaultHttpContext { Request = { Method = HttpMethods.Get, Host = new HostString(GatewayHost) } };
        read.Request.Headers.Origin = Evil;
        await guard.InvokeAsync(read);

        var before = GC.GetAllocatedBytesForCurrentThread();
        await guard.InvokeAsync(read);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static Task<Answer> PostFormAsync(GatewayApp app, string path, string host, string? origin = null, string? site = null) =>
        SendAsync(app, HttpMethods.Post, path, host, origin, site, form: true);

    // What a browser sends: the Host it asked, and the Origin and Sec-Fetch-Site it sets itself (a page cannot).
    private static async Task<Answer> SendAsync(GatewayApp app, string method, string path, string host, string? origin, string? site, bool form)
    {
        var server = (TestServer)app.Services.GetRequiredService<IServer>();
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.Host = new HostString(host);
            if (form)
            {
                var fields = Encoding.ASCII.GetBytes("start=now");
                c.Request.ContentType = "application/x-www-form-urlencoded";
                c.Request.ContentLength = fields.Length;
                c.Request.Body = new MemoryStream(fields);
            }

            if (origin is not null)
            {
                c.Request.Headers.Origin = origin;
            }

            if (site is not null)
            {
                c.Request.Headers[CrossOriginGuard.SecFetchSite] = site;
            }
        }, Ct);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(Ct);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, body, context.Response.Headers.AccessControlAllowOrigin.FirstOrDefault());
    }

    private sealed record Answer(int Status, string? ContentType, string Body, string? AllowOrigin);
}
