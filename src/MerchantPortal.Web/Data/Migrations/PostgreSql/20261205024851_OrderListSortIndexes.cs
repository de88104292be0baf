using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OrderListSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Orders_CarrierCode_Id",
                table: "Orders",
                columns: new[] { "CarrierCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PaidAtUtc_Id",
                table: "Orders",
                columns: new[] { "PaidAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_Id",
                table: "Orders",
                columns: new[] { "Province", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_Id",
                table: "Orders",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_TotalAmount_Id",
                table: "Orders",
                columns: new[] { "TotalAmount", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_CarrierCode_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_PaidAtUtc_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_TotalAmount_Id",
                table: "Orders");
        }
    }
}
