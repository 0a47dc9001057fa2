"""What several apps need and none of them owns: the upload policy, text extraction, spreadsheet
reading and the XLSX export helper. It depends on no app of the project."""
