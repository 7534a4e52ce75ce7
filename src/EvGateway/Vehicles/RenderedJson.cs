namespace EvGateway.Vehicles;

/// <summary>
/// A JSON answer serialised once and sent as is, with its length: kept with the status it renders, so the many reads
/// of one cached status answer without serialising or allocating anything again.
/// </summary>
public sealed class RenderedJson(byte[] body, string contentType) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body, httpContext.RequestAborted);
    }
}
