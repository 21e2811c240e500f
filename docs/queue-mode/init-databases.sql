-- Run once by the postgres image on an empty data volume: a database for the association store next to n8n's.
CREATE DATABASE associations OWNER n8n;
