using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryDateMessageTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                table: "NotificationTemplates",
                columns: new[] { "Id", "Body", "Culture", "Enabled", "Milestone", "QuietHours", "Subject", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 15, "您的包裹{trackingNo}已揽收,{expectedDate}。查询:{trackingUrl}", "zh-CN", true, "DeliveryDateExpected", null, "您的包裹预计送达日期", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 16, "Your parcel {trackingNo} has been picked up. {expectedDate}. Track it: {trackingUrl}", "en", true, "DeliveryDateExpected", null, "When your parcel arrives", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 17, "您的包裹{trackingNo}送达日期有变化:{expectedDate}(此前预计{previousDate})。查询:{trackingUrl}", "zh-CN", true, "DeliveryDateMoved", null, "您的包裹送达日期有变化", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 18, "The delivery date of your parcel {trackingNo} has changed: {expectedDate} (before: {previousDate}). Track it: {trackingUrl}", "en", true, "DeliveryDateMoved", null, "Your delivery date has changed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 15);

            migrationBuilder.DeleteData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 16);

            migrationBuilder.DeleteData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 17);

            migrationBuilder.DeleteData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 18);
        }
    }
}
