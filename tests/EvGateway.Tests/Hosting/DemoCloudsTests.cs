using EvGateway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Hosting;

public class DemoCloudsTests
{
    [Fact]
    public async Task A_code_the_demo_cloud_e_mails_is_logged_marked_simulated_so_a_person_can_type_it()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:Demo"] = "true" });
        var demo = app.Services.GetRequiredService<DemoClouds>();
        using var browser = new GigyaBrowser(demo.Simulator!.Renault);

        var check = await browser.CodeSentAsync();

        var line = Assert.Single(app.Log.Lines, l => l.Contains("SIMULATED", StringComparison.Ordinal));
        Assert.Contains(check.Code, line, StringComparison.Ordinal);
        Assert.Contains(GigyaBrowser.Username, line, StringComparison.Ordinal);
    }
}
