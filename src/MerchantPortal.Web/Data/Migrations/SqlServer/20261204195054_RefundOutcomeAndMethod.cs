using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RefundOutcomeAndMethod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Refunds_Status",
                table: "Refunds");

            migrationBuilder.AddColumn<DateTime>(
                name: "CompletedAtUtc",
                table: "Refunds",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FailureReason",
                table: "Refunds",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Method",
                table: "Refunds",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OutRefundNo",
                table: "Refunds",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            // Statuses are renamed (Pending meant "decided", Requested meant "announced"): a decided refund is now
            // Requested; an announced one is Pending on the merchant system until it confirms; an exchange is final.
            migrationBuilder.Sql("UPDATE Refunds SET Status = CASE WHEN Status = 'Pending' THEN 'Requested' WHEN Status = 'Requested' AND Kind = 'Exchange' THEN 'Succeeded' WHEN Status = 'Requested' THEN 'Pending' ELSE Status END, Method = CASE WHEN Status = 'Requested' AND Kind = 'Refund' THEN 'MerchantSystem' ELSE Method END");

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[] { 10, null, 8, true, true, null, "High", null, 0, "RefundFailed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) });

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_OutRefundNo",
                table: "Refunds",
                column: "OutRefundNo",
                unique: true,
                filter: "[OutRefundNo] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status_RequestedAtUtc",
                table: "Refunds",
                columns: new[] { "Status", "RequestedAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE Refunds SET Status = CASE WHEN Status = 'Requested' THEN 'Pending' ELSE 'Requested' END");

            migrationBuilder.DropIndex(
                name: "IX_Refunds_OutRefundNo",
                table: "Refunds");

            migrationBuilder.DropIndex(
                name: "IX_Refunds_Status_RequestedAtUtc",
                table: "Refunds");

            migrationBuilder.DeleteData(
                table: "MonitoringRules",
                keyColumn: "Id",
                keyValue: 10);

            migrationBuilder.DropColumn(
                name: "CompletedAtUtc",
                table: "Refunds");

            migrationBuilder.DropColumn(
                name: "FailureReason",
                table: "Refunds");

            migrationBuilder.DropColumn(
                name: "Method",
                table: "Refunds");

            migrationBuilder.DropColumn(
                name: "OutRefundNo",
                table: "Refunds");

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status",
                table: "Refunds",
                column: "Status");
        }
    }
}
